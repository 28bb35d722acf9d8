// A status as a coloured badge with its label (the colour is never the only signal).
import { Badge } from "./forms.jsx";

const KIND = {
  approved: "success",
  completed: "success",
  rejected: "danger",
  info_requested: "warning",
  awaiting_payment: "warning",
};

export function StatusBadge({ status, label }) {
  return <Badge kind={KIND[status] || "info"}>{label}</Badge>;
}
