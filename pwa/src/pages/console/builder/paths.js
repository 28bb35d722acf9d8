// Paths into a definition, as the loader names them ("steps[1].fields[0].label.de"),
// shared by every part of the service builder: a problem the server reports is shown
// at the input whose id is made from the same path.

/** The DOM id of the input that edits the value at ``path``. */
export function inputIdFor(path) {
  return `def-${path.replace(/[[\].]+/g, "-").replace(/-+$/, "")}`;
}

/** Messages of the problems reported exactly at ``path``. */
export function problemsAt(problems, path) {
  return (problems || []).filter((problem) => problem.field === path).map((problem) => problem.message);
}

/** Problems at ``prefix`` or anywhere below it (its options, labels, rules …). */
export function problemsUnder(problems, prefix) {
  return (problems || []).filter(
    (problem) => problem.field === prefix || problem.field.startsWith(`${prefix}.`) || problem.field.startsWith(`${prefix}[`),
  );
}

/** ``value`` with ``next`` put at ``keys`` (a list of object keys and array indexes), copied
 * along the way so that the editor's state is never changed in place. A ``next`` of
 * ``undefined`` removes the key. */
export function setIn(value, keys, next) {
  if (!keys.length) return next;
  const [head, ...rest] = keys;
  const container = Array.isArray(value) ? [...value] : { ...(value || {}) };
  const inner = setIn(container[head], rest, next);
  if (inner === undefined && !Array.isArray(container)) delete container[head];
  else container[head] = inner;
  return container;
}

/** ``list`` with the item at ``from`` moved to ``to``. */
export function move(list, from, to) {
  if (to < 0 || to >= list.length || from === to) return list;
  const copy = [...list];
  const [item] = copy.splice(from, 1);
  copy.splice(to, 0, item);
  return copy;
}
