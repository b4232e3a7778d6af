// PostCSS plugin for the widget build only (.postcssrc.json in this project's root): `rem` units
// become pixels (1rem = 16px). A rem is the host page's root font size, which the widget does not
// control: a host rule such as `html { font-size: 40px }` would blow up every rem-sized thing in
// the widget. Pixels keep it the size it was designed at; the app's own build keeps its rems.
const REM = /(-?(?:\d+\.?\d*|\.\d+))rem\b/g;

/** @param {{ rootFontSize?: number }} options */
module.exports = (options = {}) => {
  const root = options.rootFontSize ?? 16;
  return {
    postcssPlugin: 'parley-rem-to-px',
    Declaration(declaration) {
      if (!declaration.value.includes('rem')) return;
      declaration.value = declaration.value.replace(REM, (_match, value) => `${Number((Number(value) * root).toFixed(3))}px`);
    },
  };
};
module.exports.postcss = true;
