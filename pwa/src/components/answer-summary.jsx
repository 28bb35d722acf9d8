// The answers as people read them, grouped by the pages of the form: used on the check
// page (with "change" links) and on the conflict page (two versions side by side).
import { formatDate, pick, t } from "../lib/i18n.js";
import { Link } from "../lib/router.jsx";
import { Picked } from "./picked.jsx";

export function formatAnswer(field, value) {
  // An unticked box is a "no", not a missing answer.
  if (field.type === "checkbox") return value === true || value === "true" ? t("answer.yes") : t("answer.no");
  if (value === undefined || value === null || value === "" || (Array.isArray(value) && !value.length)) return "–";
  switch (field.type) {
    case "select":
    case "radio":
      return pick(field.options.find((option) => option.value === value)?.label) || String(value);
    case "checkbox":
      return value === true || value === "true" ? t("answer.yes") : t("answer.no");
    case "date":
      return formatDate(value);
    case "address": {
      if (typeof value !== "object") return String(value);
      const street = [value.street, value.house_number].filter(Boolean).join(" ");
      const town = [value.postal_code, value.city].filter(Boolean).join(" ");
      return [street, town].filter(Boolean).join(", ") || "–";
    }
    case "iban":
      return String(value).replace(/\s+/g, "").replace(/(.{4})/g, "$1 ").trim();
    case "file":
      return Array.isArray(value) ? value.map((item) => item.filename).join(", ") : "–";
    default:
      return String(value);
  }
}

export function pageTitle(page) {
  if (page.repeat) {
    if (page.repeat.index < 0) return pick(page.repeat.field.label);
    return pick(page.repeat.field.item_label || page.repeat.field.label).replace("{n}", page.repeat.index + 1);
  }
  return pick(page.step.title);
}

/** Rows of one page: [{label, value, path}] for the visible fields. */
export function pageRows(page, answers) {
  if (page.repeat) {
    const item = (answers[page.repeat.field.id] || [])[page.repeat.index] || {};
    return page.visibleFields.map((field) => ({
      label: pick(field.label),
      source: field.label,
      value: formatAnswer(field, item[field.id]),
      path: `${page.repeat.field.id}[${page.repeat.index}].${field.id}`,
    }));
  }
  return page.visibleFields.map((field) => ({ label: pick(field.label), source: field.label, value: formatAnswer(field, answers[field.id]), path: field.id }));
}

export function AnswerSummary({ pages, answers, changeHref, headingLevel = 2 }) {
  const Heading = `h${headingLevel}`;
  return (
    <div class="answer-summary">
      {pages.map((page) => {
        const title = pageTitle(page);
        return (
          <section class="answer-summary__group" key={page.key} aria-label={title}>
            <div class="answer-summary__header">
              <Heading class="kern-heading-small">{page.repeat ? title : <Picked text={page.step.title} />}</Heading>
              {changeHref && (
                <Link class="kern-link" href={changeHref(page)}>
                  {t("check.change")}
                  <span class="visually-hidden">: {title}</span>
                </Link>
              )}
            </div>
            <dl class="kern-description-list">
              {pageRows(page, answers).map((row) => (
                <div class="kern-description-list-item" key={row.path}>
                  <dt class="kern-description-list-item__key">
                    <Picked text={row.source} />
                  </dt>
                  <dd class="kern-description-list-item__value">{row.value}</dd>
                </div>
              ))}
            </dl>
          </section>
        );
      })}
    </div>
  );
}
