// The console's screens (admins only), loaded on first use.
export { ConsoleStartPage } from "./start.jsx";
export { ConsoleUsersPage } from "./people-list.jsx";
export { ConsoleInvitePage } from "./people-invite.jsx";
export { ConsoleUserPage } from "./people-user.jsx";
