// The defect map (Leaflet, self-hosted): tiles from the portal's configured tile server,
// the reports as dots, and in the report form a tap that picks the place. It is loaded
// only on pages that show a map, and it is never the only way: every page that has one
// also has the list or the address field.
import { circleMarker, control, layerGroup, map as createMap, tileLayer } from "leaflet/dist/leaflet-src.esm.js";
import "leaflet/dist/leaflet.css";
import { useEffect, useRef } from "preact/hooks";
import { t } from "../../lib/i18n.js";
import "./reports.css";

const DOT = { radius: 7, color: "#1f3a93", weight: 2, fillColor: "#4a6fdc", fillOpacity: 0.8, interactive: false };
const PICKED = { radius: 10, color: "#a4000f", weight: 3, fillColor: "#e2001a", fillOpacity: 0.9, interactive: false };

export function ReportMap({ config, points = [], picked = null, onPick = null, label }) {
  const box = useRef(null);
  const state = useRef({});
  const pick = useRef(onPick);
  pick.current = onPick;
  useEffect(() => {
    const [south, west, north, east] = config.bbox;
    const view = createMap(box.current, {
      zoomControl: false,
      maxBounds: [
        [south - 0.05, west - 0.05],
        [north + 0.05, east + 0.05],
      ],
      minZoom: 11,
    });
    control.zoom({ zoomInTitle: t("reports.map.zoom_in"), zoomOutTitle: t("reports.map.zoom_out") }).addTo(view);
    view.attributionControl.setPrefix(false);
    tileLayer(config.tile_url, { attribution: config.attribution, maxZoom: 19 }).addTo(view);
    view.fitBounds([
      [south, west],
      [north, east],
    ]);
    view.on("click", (event) => pick.current?.(event.latlng.lat, event.latlng.lng));
    state.current = { view, layer: layerGroup().addTo(view) };
    return () => view.remove();
  }, [config.tile_url]);
  useEffect(() => {
    const { view, layer } = state.current;
    if (!layer) return;
    layer.clearLayers();
    for (const point of points) {
      if (point.lat !== null && point.lon !== null) circleMarker([point.lat, point.lon], DOT).addTo(layer);
    }
    if (picked) {
      circleMarker([picked.lat, picked.lon], PICKED).addTo(layer);
      view.panTo([picked.lat, picked.lon]);
    }
  }, [points, picked]);
  return (
    <div class="report-map-frame" role="region" aria-label={label}>
      <div class="report-map" ref={box} />
    </div>
  );
}
