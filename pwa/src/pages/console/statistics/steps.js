// The name of a step where citizens give up. For one service ``step`` is the step's id
// and the title the step's; over all services the server sends ``service/step`` and
// "Service: Step" (a step id means something only within its service). The check page
// before sending (``_submitted``) has no title of its own in a form definition.

const CHECK = "_submitted";

/**
 * The name to show for a give-up ``step`` with its ``title`` (already in the reader's
 * language); ``checkPage`` is the check page's name in that language.
 */
export function giveUpStepName(step, title, checkPage) {
  const slash = step.lastIndexOf("/");
  if (step.slice(slash + 1) !== CHECK) return title || step;
  if (slash < 0) return checkPage;
  const suffix = `: ${CHECK}`;
  const service = title?.endsWith(suffix) ? title.slice(0, -suffix.length) : step.slice(0, slash);
  return `${service}: ${checkPage}`;
}
