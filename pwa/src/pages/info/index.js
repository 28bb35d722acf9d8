// Help, privacy, imprint and accessibility statement.
export { HelpPage, HelpTopicPage, PrivacyPage, ImprintPage } from "./help.jsx";
export { AccessibilityPage } from "./accessibility.jsx";
