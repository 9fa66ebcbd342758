// What each role may do, as far as the UI needs to know to show or hide things. The server
// decides for real (src/core/role.cpp); this table only keeps people from buttons that would
// answer 403.

const PERMISSIONS = {
  admin: ['read_places', 'read_residents', 'write_registry', 'reveal'],
  command: ['read_places', 'read_residents'],
  community: ['read_places', 'read_residents', 'write_registry', 'reveal'],
  recorder: ['read_places'],
  courier: ['read_places'],
  lab: ['read_places'],
  viewer: ['read_places', 'read_residents'],
};

/** Whether a user (from the session) has a permission. */
export function can(user, permission) {
  return Boolean(user && (PERMISSIONS[user.role] || []).includes(permission));
}
