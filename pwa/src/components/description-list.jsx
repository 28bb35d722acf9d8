// A KERN description list from [label, value] rows.

/** Label/value pairs as a KERN description list. */
export function DescriptionList({ rows, class: extra = "" }) {
  return (
    <dl class={`kern-description-list ${extra}`.trim()}>
      {rows.map(([label, value]) => (
        <div class="kern-description-list-item" key={label}>
          <dt class="kern-description-list-item__key">{label}</dt>
          <dd class="kern-description-list-item__value">{value}</dd>
        </div>
      ))}
    </dl>
  );
}
