// Someone else saved this draft while the admin was editing it. Both versions are shown
// where they differ; the admin decides which one stays.
import { useEffect, useRef } from "preact/hooks";
import { Button } from "../../../components/forms.jsx";
import { formatDateTime, t } from "../../../lib/i18n.js";
import { DataTable } from "../city-shared.jsx";

const SHOWN = 60;

/** Every leaf of ``value`` as ``[path, text]``, paths written as the loader writes them. */
function leaves(value, path = "", into = new Map()) {
  if (Array.isArray(value)) value.forEach((item, index) => leaves(item, `${path}[${index}]`, into));
  else if (value !== null && typeof value === "object") Object.entries(value).forEach(([key, inner]) => leaves(inner, path ? `${path}.${key}` : key, into));
  else into.set(path, value === undefined ? "" : String(value));
  return into;
}

/** The paths where ``mine`` and ``theirs`` differ, with both values. */
export function differences(mine, theirs) {
  const a = leaves(mine);
  const b = leaves(theirs);
  const paths = [...new Set([...a.keys(), ...b.keys()])];
  return paths.filter((path) => a.get(path) !== b.get(path)).map((path) => ({ path, mine: a.get(path) ?? "–", theirs: b.get(path) ?? "–" }));
}

export function ConflictScreen({ conflict, busy, onTakeTheirs, onKeepMine }) {
  const heading = useRef(null);
  useEffect(() => heading.current?.focus(), []);
  // The hook shows this screen only with the current state; without one there is
  // nothing to compare, so the admin can only take the stored version.
  const theirs = conflict?.theirs || {};
  const rows = differences(conflict?.mine, theirs.definition);
  const who = theirs.changed_by?.name || t("console.builder.conflict_someone");
  return (
    <section class="kern-stack builder-conflict" aria-labelledby="conflict-heading">
      <h2 class="kern-heading-medium" id="conflict-heading" tabIndex={-1} ref={heading}>
        {t("console.builder.conflict_title")}
      </h2>
      <p class="kern-body">{t("console.builder.conflict_text", { who, when: theirs.changed_at ? formatDateTime(theirs.changed_at) : "–" })}</p>
      <DataTable caption={t("console.builder.conflict_caption", { count: rows.length })} head={[t("console.builder.conflict_where"), t("console.builder.conflict_mine"), t("console.builder.conflict_theirs")]}>
        {rows.slice(0, SHOWN).map((row) => (
          <tr class="kern-table__row" key={row.path}>
            <td class="kern-table__cell">
              <code>{row.path}</code>
            </td>
            <td class="kern-table__cell">{row.mine}</td>
            <td class="kern-table__cell">{row.theirs}</td>
          </tr>
        ))}
      </DataTable>
      {rows.length > SHOWN && <p class="kern-body">{t("console.builder.conflict_more", { count: rows.length - SHOWN })}</p>}
      <div class="builder-actions">
        <Button onClick={onTakeTheirs} disabled={busy}>
          {t("console.builder.conflict_take_theirs")}
        </Button>
        <Button variant="secondary" onClick={onKeepMine} disabled={busy}>
          {t("console.builder.conflict_keep_mine")}
        </Button>
      </div>
    </section>
  );
}
