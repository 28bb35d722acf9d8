// The console's "Flyer und Aushänge": create a campaign (a tag the flyer's QR code
// carries as ?q=, for one service or the portal as a whole), see every campaign with the
// visits and applications counted so far, download a campaign's flyer (A5) or poster
// (A4) in any of the portal's languages, rename, archive or delete a campaign. What is
// counted: docs/flyers.md.
import { useState } from "preact/hooks";
import { Alert, Button, ErrorSummary, TextField, fieldErrors } from "../../components/forms.jsx";
import { Loading } from "../../components/page.jsx";
import { LoadError } from "../../components/status.jsx";
import { asActionError, useAction } from "../../hooks/use-action.js";
import { useResource } from "../../hooks/use-resource.js";
import { api } from "../../lib/api.js";
import { formatDateTime, pick, t } from "../../lib/i18n.js";
import { LANGUAGES, NATIVE_NAMES } from "../../lib/languages.js";
import { Confirm, DataTable, SelectField, withIds } from "./city-shared.jsx";
import { ConsolePage } from "./layout.jsx";
import "./city.css";

const FORMATS = ["a5", "a4"];

export function ConsoleFlyersPage() {
  return (
    <ConsolePage title={t("console.flyers.title")}>
      <Flyers />
    </ConsolePage>
  );
}

function serviceName(services, serviceId) {
  if (!serviceId) return t("console.flyers.portal");
  const found = services.find((service) => service.service_id === serviceId);
  return found ? pick(found.title) || serviceId : serviceId;
}

function CreateForm({ services, onCreated }) {
  const [form, setForm] = useState({ tag: "", name: "", service: "" });
  const { busy, error, run } = useAction({ onError: (caught) => withIds(asActionError(caught), "campaign") });
  const errors = fieldErrors(error);
  const submit = (event) => {
    event.preventDefault();
    return run(async () => {
      const created = await api("POST", "/api/admin/campaigns", { tag: form.tag.trim(), name: form.name, service_id: form.service || null });
      setForm({ tag: "", name: "", service: "" });
      onCreated(created);
    });
  };
  return (
    <form class="kern-stack" onSubmit={submit} novalidate aria-labelledby="campaign-new-heading">
      <h2 class="kern-heading-medium" id="campaign-new-heading">
        {t("console.flyers.new_heading")}
      </h2>
      <ErrorSummary errors={error?.fieldErrors} message={error?.message} />
      <TextField id="campaign-tag" label={t("console.flyers.tag")} hint={t("console.flyers.tag_hint")} value={form.tag} onInput={(tag) => setForm({ ...form, tag })} error={errors["campaign-tag"]} autocomplete="off" spellcheck={false} />
      <TextField id="campaign-name" label={t("console.flyers.name")} hint={t("console.flyers.name_hint")} value={form.name} onInput={(name) => setForm({ ...form, name })} error={errors["campaign-name"]} />
      <SelectField
        id="campaign-service_id"
        label={t("console.flyers.target")}
        hint={t("console.flyers.target_hint")}
        value={form.service}
        onChange={(service) => setForm({ ...form, service })}
        placeholder={t("console.flyers.portal")}
        options={services.map((service) => [service.service_id, pick(service.title) || service.service_id])}
        error={errors["campaign-service_id"]}
      />
      <div class="kern-btn-wrapper">
        <Button type="submit" disabled={busy}>
          {t("console.flyers.create")}
        </Button>
      </div>
    </form>
  );
}

/** Choose a campaign, paper and language; the link downloads the PDF (a plain GET). */
function Download({ campaigns }) {
  const active = campaigns.filter((campaign) => !campaign.archived);
  const [choice, setChoice] = useState({ tag: "", format: "a5", lang: "de" });
  const tag = choice.tag || active[0]?.tag || "";
  if (!active.length) return null;
  const query = new URLSearchParams({ format: choice.format, lang: choice.lang });
  const href = `/api/admin/campaigns/${encodeURIComponent(tag)}/flyer.pdf?${query}`;
  return (
    <section class="kern-stack" aria-labelledby="flyer-download-heading">
      <h2 class="kern-heading-medium" id="flyer-download-heading">
        {t("console.flyers.download_heading")}
      </h2>
      <p class="kern-body">{t("console.flyers.download_intro")}</p>
      <div class="console-filters">
        <SelectField id="flyer-campaign" label={t("console.flyers.campaign")} value={tag} onChange={(value) => setChoice({ ...choice, tag: value })} options={active.map((campaign) => [campaign.tag, `${campaign.name} (${campaign.tag})`])} />
        <SelectField id="flyer-format" label={t("console.flyers.format")} value={choice.format} onChange={(format) => setChoice({ ...choice, format })} options={FORMATS.map((format) => [format, t(`console.flyers.format_${format}`)])} />
        <SelectField id="flyer-lang" label={t("console.flyers.language")} value={choice.lang} onChange={(lang) => setChoice({ ...choice, lang })} options={LANGUAGES.map((lang) => [lang, NATIVE_NAMES[lang] || lang])} />
      </div>
      <p class="kern-body">
        <a class="kern-btn kern-btn--primary" href={href} download data-flyer-download>
          <span class="kern-label">{t(`console.flyers.download_${choice.format}`)}</span>
        </a>
      </p>
    </section>
  );
}

function CampaignRow({ campaign, services, onChanged }) {
  const [confirming, setConfirming] = useState(false);
  const { busy, error, run } = useAction();
  const change = (body) =>
    run(async () => {
      await api("PATCH", `/api/admin/campaigns/${encodeURIComponent(campaign.tag)}`, body);
      onChanged();
    });
  const remove = () =>
    run(async () => {
      await api("DELETE", `/api/admin/campaigns/${encodeURIComponent(campaign.tag)}`);
      setConfirming(false);
      onChanged();
    });
  const counted = (value) => (value === null || value === undefined ? t("console.flyers.fewer_than") : String(value));
  return (
    <tr class="kern-table__row" data-campaign={campaign.tag}>
      <th class="kern-table__header" scope="row">
        {campaign.name}
        <br />
        <code>{campaign.tag}</code>
      </th>
      <td class="kern-table__cell">{serviceName(services, campaign.service_id)}</td>
      <td class="kern-table__cell stats-number" data-entries>
        {counted(campaign.entries)}
      </td>
      <td class="kern-table__cell stats-number" data-submitted>
        {counted(campaign.submitted)}
      </td>
      <td class="kern-table__cell">{campaign.archived ? t("console.flyers.archived_since", { date: formatDateTime(campaign.archived_at) }) : t("console.flyers.active")}</td>
      <td class="kern-table__cell">
        {error && <p class="kern-body kern-error">{error.fieldErrors?.[0]?.message || error.message}</p>}
        {!confirming && (
          <div class="kern-btn-wrapper">
            <Button variant="secondary" onClick={() => change({ archived: !campaign.archived })} disabled={busy}>
              {t(campaign.archived ? "console.flyers.restore" : "console.flyers.archive", { name: campaign.name })}
            </Button>
            <Button variant="secondary" onClick={() => setConfirming(true)} disabled={busy}>
              {t("console.flyers.delete", { name: campaign.name })}
            </Button>
          </div>
        )}
        {confirming && (
          <Confirm
            id={`delete-${campaign.tag}`}
            question={t("console.flyers.delete_question", { name: campaign.name })}
            effect={t("console.flyers.delete_effect")}
            confirmLabel={t("console.flyers.delete_confirm")}
            onConfirm={remove}
            onCancel={() => setConfirming(false)}
            busy={busy}
          />
        )}
      </td>
    </tr>
  );
}

function Flyers() {
  const { data, error, reload } = useResource("/api/admin/campaigns");
  const services = useResource("/api/statistics/services");
  const [created, setCreated] = useState(null);
  if (error) return <LoadError error={error} />;
  if (!data) return <Loading />;
  const list = services.data?.services || [];
  return (
    <>
      <p class="kern-body">{t("console.flyers.intro")}</p>
      {created && (
        <Alert kind="success" title={t("console.flyers.created", { name: created.name })}>
          <p class="kern-body">{t("console.flyers.created_url", { url: created.url })}</p>
        </Alert>
      )}
      <CreateForm
        services={list}
        onCreated={(campaign) => {
          setCreated(campaign);
          reload();
        }}
      />
      <Download campaigns={data.campaigns} />
      <h2 class="kern-heading-medium">{t("console.flyers.list_heading")}</h2>
      <p class="kern-body">{t("console.flyers.list_intro")}</p>
      {data.campaigns.length === 0 ? (
        <p class="kern-body">{t("console.flyers.none")}</p>
      ) : (
        <DataTable caption={t("console.flyers.table")} head={["campaign", "target", "entries", "submitted", "status", "actions"].map((col) => t(`console.flyers.col.${col}`))}>
          {data.campaigns.map((campaign) => (
            <CampaignRow key={campaign.tag} campaign={campaign} services={list} onChanged={reload} />
          ))}
        </DataTable>
      )}
    </>
  );
}
