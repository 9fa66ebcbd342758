// What each role may do, as far as the UI needs to know to show or hide things. The server
// decides for real (src/core/role.cpp, docs/openapi.yaml "Roles"); this table only keeps people
// from buttons that would answer 403. `reveal` is the server's reveal_id_numbers.

const PERMISSIONS = {
  admin: [
    'read_places', 'read_residents', 'write_registry', 'reveal', 'manage_rounds', 'manage_sites',
    'read_tubes', 'read_status', 'read_coverage', 'manage_incidents', 'sample', 'transport', 'lab',
    'read_incidents', 'report_antigen', 'count_queue', 'gate_scan', 'manage_requests', 'read_requests', 'manage_staff', 'read_staff',
  ],
  command: [
    'read_places', 'read_residents', 'manage_rounds', 'read_tubes', 'read_status', 'read_coverage', 'manage_incidents',
    'read_incidents', 'read_requests', 'read_staff',
  ],
  community: [
    'read_places', 'read_residents', 'write_registry', 'reveal', 'manage_rounds', 'manage_sites',
    'read_tubes', 'read_status', 'read_coverage', 'manage_incidents', 'read_incidents', 'report_antigen',
    'count_queue', 'gate_scan',
    'manage_requests', 'read_requests', 'manage_staff', 'read_staff',
  ],
  recorder: ['read_places', 'sample', 'read_tubes', 'read_status', 'report_antigen', 'count_queue'],
  courier: ['read_places', 'transport', 'read_tubes'],
  lab: ['read_places', 'lab', 'read_tubes'],
  viewer: ['read_places', 'read_residents', 'read_tubes', 'read_status', 'read_coverage', 'read_incidents', 'read_requests', 'read_staff'],
  guard: ['read_places', 'gate_scan'],
};

/** The page each role starts on (a NAV id in app.js); others start on the registry. */
const HOME = {
  recorder: 'sampling',
  courier: 'transport',
  lab: 'lab',
  guard: 'gate',
};

/** Whether a user (from the session) has a permission. */
export function can(user, permission) {
  return Boolean(user && (PERMISSIONS[user.role] || []).includes(permission));
}

/** The NAV id of the user's first page, or null for "the first menu page they may open". */
export function homeOf(user) {
  return (user && HOME[user.role]) || null;
}
