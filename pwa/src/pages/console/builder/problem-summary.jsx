// What stands between the draft and publishing: every problem the loader found, each a
// link that opens its section and puts the focus on the input it concerns.
import { t } from "../../../lib/i18n.js";
import { inputIdFor } from "./paths.js";
import { sectionOf } from "./sections.js";

/** The closest input on the page for ``path``: its own, else its parent's, else none. */
export function inputFor(path) {
  for (let current = path; current; current = current.replace(/(\.[^.[\]]+|\[\d+\])$/, "")) {
    const found = document.getElementById(inputIdFor(current));
    if (found) return found;
    if (!/(\.[^.[\]]+|\[\d+\])$/.test(current)) break;
  }
  return null;
}

export function ProblemSummary({ problems, onOpen }) {
  if (!problems.length) {
    return (
      <p class="kern-body builder-ok" role="status">
        {t("console.builder.no_problems")}
      </p>
    );
  }
  return (
    <div class="kern-alert kern-alert--warning builder-problems" role="region" aria-labelledby="builder-problems-title">
      <div class="kern-alert__header">
        <span class="kern-icon kern-icon--warning" aria-hidden="true" />
        <h2 class="kern-title" id="builder-problems-title">
          {t("console.builder.problems_title", { count: problems.length })}
        </h2>
      </div>
      <div class="kern-alert__body">
        <ul class="kern-list">
          {problems.map((problem, index) => (
            <li key={`${problem.field}-${index}`} class="kern-body">
              <a
                class="kern-link"
                href={`#${inputIdFor(problem.field)}`}
                onClick={(event) => {
                  event.preventDefault();
                  onOpen(problem.field);
                }}
              >
                {t(sectionOf(problem.field).labelKey)}: {problem.message}
              </a>{" "}
              <code class="builder-path">{problem.field}</code>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
