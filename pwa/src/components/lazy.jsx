// Screens loaded on first use (their code is precached, so this works offline too).
// Keeps the first download small: the start page does not carry the form engine.
import { useEffect, useState } from "preact/hooks";
import { t } from "../lib/i18n.js";
import { Alert } from "./forms.jsx";

export function lazyPage(load, name) {
  let loaded = null;
  function LazyPage(props) {
    const [Component, setComponent] = useState(() => loaded);
    const [failed, setFailed] = useState(false);
    useEffect(() => {
      if (loaded) return;
      load().then(
        (module) => {
          loaded = module[name];
          setComponent(() => loaded);
        },
        () => setFailed(true),
      );
    }, []);
    if (failed) {
      // An old tab after an update may ask for code that no longer exists.
      return <Alert kind="warning" title={t("app.reload_needed")} />;
    }
    return Component ? <Component {...props} /> : null;
  }
  return LazyPage;
}
