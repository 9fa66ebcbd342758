// Every visible string of the UI, in Chinese and English.
//
//   t('login.title')                  → the string in the current language
//   t('residents.count', { n: 3 })    → with {n} filled in
//
// The language defaults to the browser's (navigator.language), and a choice made with the
// toggle is remembered in localStorage. A key missing in one language falls back to English,
// then to the key itself, so a gap shows up on screen instead of failing.

const STORAGE_KEY = 'swabline.lang';

const STRINGS = {
  en: {
    'app.name': 'Swabline',
    'app.tagline': 'Mass screening',
    'lang.toggle': '中文',
    'lang.toggle.title': 'Switch to Chinese',
    'header.logout': 'Log out',
    'header.scope.all': 'All places',
    'header.user': 'Signed in as',

    'role.admin': 'Administrator',
    'role.command': 'Command',
    'role.community': 'Community office',
    'role.recorder': 'Recorder',
    'role.courier': 'Courier',
    'role.lab': 'Laboratory',
    'role.viewer': 'Viewer',

    'nav.registry': 'Registry',
    'nav.import': 'Import',
    'nav.label': 'Main',

    'login.title': 'Sign in',
    'login.subtitle': 'Sign in with the account your command centre gave you.',
    'login.username': 'Username',
    'login.password': 'Password',
    'login.submit': 'Sign in',
    'login.busy': 'Signing in…',
    'login.expired': 'Your session has ended. Please sign in again.',
    'login.loggedOut': 'You have signed out.',

    'common.loading': 'Loading…',
    'common.retry': 'Try again',
    'common.back': 'Back',
    'common.none': '—',
    'common.yes': 'Yes',
    'common.no': 'No',
    'common.error': 'Error',

    'kind.district': 'District',
    'kind.street': 'Street',
    'kind.community': 'Community',
    'kind.building': 'Building',
    'kind.unit': 'Unit',
    'kind.room': 'Room',

    'registry.title': 'Registry',
    'registry.home': 'All places',
    'registry.topPlaces': 'Your places',
    'registry.noPlaces': 'No places are assigned to your account.',
    'registry.children': 'Inside {name}',
    'registry.noChildren': 'No places inside this one.',
    'registry.residents': 'Residents',
    'registry.residentsIn': 'Residents of {name}',
    'registry.noResidents': 'No residents registered here.',
    'registry.loadMore': 'Load more',
    'registry.shown': '{n} shown',
    'registry.allShown': 'All {n} shown',
    'registry.noResidentAccess': 'Your role does not show residents.',
    'search.label': 'Find a resident',
    'search.placeholder': 'ID number or name',
    'search.submit': 'Search',
    'search.clear': 'Clear',
    'search.results': 'Results for “{q}”',
    'search.none': 'Nobody matches “{q}”.',

    'col.name': 'Name',
    'col.idNumber': 'ID number',
    'col.phone': 'Phone',
    'col.address': 'Address',
    'col.tags': 'Tags',

    'resident.title': 'Resident',
    'resident.name': 'Name',
    'resident.docType': 'Document',
    'resident.idNumber': 'ID number',
    'resident.phone': 'Phone',
    'resident.address': 'Address',
    'resident.tags': 'Tags',
    'resident.walkIn': 'Walk-in',
    'resident.walkInNote': 'Registered at a sampling point',
    'resident.reveal': 'Reveal ID number',
    'resident.revealBusy': 'Revealing…',
    'resident.revealNote':
      'Revealing shows the full number. Every reveal is recorded in the audit log with your name.',
    'resident.revealed': 'Revealed — this view was recorded in the audit log.',
    'resident.openPlace': 'Open the place',

    'doc.resident_id': 'Resident ID card',
    'doc.passport': 'Passport',
    'doc.hk_macao_permit': 'Hong Kong/Macao permit',
    'doc.taiwan_permit': 'Taiwan permit',

    'tag.elderly': 'Elderly',
    'tag.bedridden': 'Bedridden',
    'tag.disabled': 'Disabled',
    'tag.child': 'Child',
    'tag.pregnant': 'Pregnant',

    'import.title': 'Import residents',
    'import.intro':
      'Upload a CSV file (UTF-8) with one resident a line. Missing places are created; a row whose ID number already exists updates that resident.',
    'import.header': 'Expected header row',
    'import.optional': 'phone, building, unit, room and tags may be empty; tags are separated by ; (e.g. elderly;bedridden).',
    'import.file': 'Choose a CSV file',
    'import.text': 'or paste the CSV here',
    'import.submit': 'Import',
    'import.busy': 'Importing…',
    'import.empty': 'Choose a file or paste some rows first.',
    'import.fileLoaded': 'Loaded {name} ({n} lines).',
    'import.fileLarge': '{name} ({size} MB) is too large to show; it will be sent as it is.',
    'import.created': 'Created',
    'import.updated': 'Updated',
    'import.rejected': 'Rejected',
    'import.rejectedRows': 'Rejected rows',
    'import.moreRejected': 'The first {shown} of {n} rejected rows are listed. Fix them and import the file again.',
    'import.allGood': 'Every row was accepted.',
    'import.line': 'Line',
    'import.code': 'Code',
    'import.detail': 'Detail',

    'rowcode.invalid_id_number': 'Invalid ID number',
    'rowcode.missing_field': 'A required field is empty',
    'rowcode.duplicate_in_file': 'Same ID number twice in the file',

    'notFound.title': 'Page not found',
    'notFound.body': 'There is nothing at this address.',
    'forbidden.page': 'Your role cannot open this page.',

    'err.network': 'The server cannot be reached. Check the connection and try again.',
    'err.invalid_credentials': 'Wrong username or password.',
    'err.rate_limited': 'Too many failed sign-ins. Wait a minute and try again.',
    'err.unauthenticated': 'Please sign in.',
    'err.busy': 'The server is busy. Try again in a moment.',
    'err.not_found': 'Not found.',
    'err.forbidden': 'Your role or places do not allow this.',
    'err.unknown_place': 'This place does not exist or is outside your places.',
    'err.unknown_resident': 'This resident does not exist or is outside your places.',
    'err.invalid_id_number': 'That ID number is not valid (check the date and last character).',
    'err.unsupported_media_type': 'The server expected a different kind of file.',
    'err.payload_too_large': 'The file is too large.',
    'err.internal': 'The server failed. The error has been logged.',
  },

  zh: {
    'app.name': 'Swabline',
    'app.tagline': '核酸筛查',
    'lang.toggle': 'English',
    'lang.toggle.title': '切换到英文',
    'header.logout': '退出',
    'header.scope.all': '全部辖区',
    'header.user': '当前用户',

    'role.admin': '管理员',
    'role.command': '指挥部',
    'role.community': '社区',
    'role.recorder': '录入员',
    'role.courier': '转运员',
    'role.lab': '检测机构',
    'role.viewer': '只读',

    'nav.registry': '人口信息',
    'nav.import': '导入',
    'nav.label': '主导航',

    'login.title': '登录',
    'login.subtitle': '请使用指挥部分配的账号登录。',
    'login.username': '用户名',
    'login.password': '密码',
    'login.submit': '登录',
    'login.busy': '正在登录…',
    'login.expired': '登录已失效，请重新登录。',
    'login.loggedOut': '已退出登录。',

    'common.loading': '加载中…',
    'common.retry': '重试',
    'common.back': '返回',
    'common.none': '—',
    'common.yes': '是',
    'common.no': '否',
    'common.error': '错误',

    'kind.district': '区',
    'kind.street': '街道',
    'kind.community': '社区',
    'kind.building': '楼栋',
    'kind.unit': '单元',
    'kind.room': '房间',

    'registry.title': '人口信息',
    'registry.home': '全部辖区',
    'registry.topPlaces': '我的辖区',
    'registry.noPlaces': '您的账号没有分配辖区。',
    'registry.children': '{name} 下辖',
    'registry.noChildren': '此处没有下级地点。',
    'registry.residents': '居民',
    'registry.residentsIn': '{name} 的居民',
    'registry.noResidents': '此处没有登记居民。',
    'registry.loadMore': '加载更多',
    'registry.shown': '已显示 {n} 人',
    'registry.allShown': '共 {n} 人，已全部显示',
    'registry.noResidentAccess': '您的角色不能查看居民信息。',
    'search.label': '查找居民',
    'search.placeholder': '身份证号或姓名',
    'search.submit': '搜索',
    'search.clear': '清除',
    'search.results': '“{q}” 的搜索结果',
    'search.none': '没有找到与“{q}”匹配的居民。',

    'col.name': '姓名',
    'col.idNumber': '证件号码',
    'col.phone': '电话',
    'col.address': '地址',
    'col.tags': '标签',

    'resident.title': '居民',
    'resident.name': '姓名',
    'resident.docType': '证件类型',
    'resident.idNumber': '证件号码',
    'resident.phone': '电话',
    'resident.address': '地址',
    'resident.tags': '标签',
    'resident.walkIn': '现场登记',
    'resident.walkInNote': '在采样点现场登记',
    'resident.reveal': '查看完整证件号',
    'resident.revealBusy': '正在查看…',
    'resident.revealNote': '将显示完整证件号码。每次查看都会以您的名义记入审计日志。',
    'resident.revealed': '已显示完整号码，本次查看已记入审计日志。',
    'resident.openPlace': '打开所在地点',

    'doc.resident_id': '居民身份证',
    'doc.passport': '护照',
    'doc.hk_macao_permit': '港澳居民来往内地通行证',
    'doc.taiwan_permit': '台湾居民来往大陆通行证',

    'tag.elderly': '老人',
    'tag.bedridden': '卧床',
    'tag.disabled': '残障',
    'tag.child': '儿童',
    'tag.pregnant': '孕妇',

    'import.title': '导入居民',
    'import.intro': '上传 UTF-8 编码的 CSV 文件，每行一位居民。缺少的地点会自动创建；身份证号已存在的行会更新该居民。',
    'import.header': '表头（第一行）',
    'import.optional': 'phone、building、unit、room、tags 可以为空；多个标签用 ; 分隔（例如 elderly;bedridden）。',
    'import.file': '选择 CSV 文件',
    'import.text': '或在此粘贴 CSV 内容',
    'import.submit': '导入',
    'import.busy': '正在导入…',
    'import.empty': '请先选择文件或粘贴内容。',
    'import.fileLoaded': '已读取 {name}（{n} 行）。',
    'import.fileLarge': '{name}（{size} MB）较大，不在此显示，将直接上传。',
    'import.created': '新增',
    'import.updated': '更新',
    'import.rejected': '拒绝',
    'import.rejectedRows': '被拒绝的行',
    'import.moreRejected': '共 {n} 行被拒绝，此处列出前 {shown} 行。请修改后重新导入。',
    'import.allGood': '所有行均已导入。',
    'import.line': '行号',
    'import.code': '代码',
    'import.detail': '说明',

    'rowcode.invalid_id_number': '身份证号无效',
    'rowcode.missing_field': '必填项为空',
    'rowcode.duplicate_in_file': '文件中身份证号重复',

    'notFound.title': '页面不存在',
    'notFound.body': '此地址没有内容。',
    'forbidden.page': '您的角色不能打开此页面。',

    'err.network': '无法连接服务器，请检查网络后重试。',
    'err.invalid_credentials': '用户名或密码错误。',
    'err.rate_limited': '登录失败次数过多，请一分钟后再试。',
    'err.unauthenticated': '请先登录。',
    'err.busy': '服务器繁忙，请稍后重试。',
    'err.not_found': '未找到。',
    'err.forbidden': '您的角色或辖区不允许此操作。',
    'err.unknown_place': '该地点不存在或不在您的辖区内。',
    'err.unknown_resident': '该居民不存在或不在您的辖区内。',
    'err.invalid_id_number': '身份证号无效（请检查出生日期和最后一位）。',
    'err.unsupported_media_type': '服务器需要另一种文件格式。',
    'err.payload_too_large': '文件过大。',
    'err.internal': '服务器出错，错误已记录。',
  },
};

export const LANGUAGES = Object.keys(STRINGS);

function initialLanguage() {
  let saved = null;
  try {
    saved = localStorage.getItem(STORAGE_KEY);
  } catch {
    // Storage may be disabled (private mode): fall through to the browser's language.
  }
  if (saved && STRINGS[saved]) return saved;
  const nav = (navigator.languages && navigator.languages[0]) || navigator.language || 'en';
  return nav.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

let current = initialLanguage();
const listeners = new Set();

/** The current language: 'zh' or 'en'. */
export function lang() {
  return current;
}

/** Switches the language, remembers it, and tells every listener. */
export function setLang(next) {
  if (!STRINGS[next] || next === current) return;
  current = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // Not remembered, but still switched for this page.
  }
  applyDocumentLang();
  for (const fn of listeners) fn(current);
}

/** The other language, for a two-way toggle. */
export function otherLang() {
  return current === 'zh' ? 'en' : 'zh';
}

/** Calls fn(lang) after every switch; returns a function that stops it. */
export function onLangChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** Whether the table has this key (in any language). */
export function has(key) {
  return key in STRINGS[current] || key in STRINGS.en;
}

/** The string for key in the current language, with {name} placeholders filled from vars. */
export function t(key, vars) {
  let s = STRINGS[current][key] ?? STRINGS.en[key] ?? key;
  if (vars) s = s.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
  return s;
}

/** Sets <html lang> and the page title for the current language. */
export function applyDocumentLang() {
  document.documentElement.lang = current === 'zh' ? 'zh-CN' : 'en';
  document.title = `${t('app.name')} · ${t('app.tagline')}`;
}
