/**
 * The admin screen's build: @wordpress/scripts' config, written to wp-plugin/build/ where the plugin (and its zip)
 * loads it from.
 *
 * Everything is bundled but @wordpress/i18n. WordPress 6.1 (Debian's, and the oldest the plugin supports) ships
 * React 17 and a wp-components that predates DataViews, so the site's copies cannot run this screen; wp-i18n is
 * the exception, kept external so that wp_set_script_translations() reaches the strings.
 */
const { execFileSync } = require('child_process');
const path = require('path');
const webpack = require('webpack');
const TerserPlugin = require('terser-webpack-plugin');
const DependencyExtractionWebpackPlugin = require('@wordpress/dependency-extraction-webpack-plugin');
const defaultConfig = require('@wordpress/scripts/config/webpack.config');

/**
 * The route table of shared/routes.ts (method and path of each route, and the plugin's namespace), read from the
 * contracts at build time: importing the module itself would bundle its zod schemas, a quarter of a megabyte that
 * the screen never runs (the API validates).
 */
const contracts = execFileSync(
  process.execPath,
  [
    '--import',
    'tsx',
    '--input-type=module',
    '-e',
    `const { routes, ownRestNamespace } = await import(${JSON.stringify(path.resolve(__dirname, '../shared/routes.ts'))});
const table = Object.fromEntries(Object.entries(routes).map(([name, r]) => [name, { method: r.method, path: r.path }]));
process.stdout.write(JSON.stringify({ ownRestNamespace, routes: table }));`,
  ],
  { cwd: path.resolve(__dirname, '..'), encoding: 'utf8' },
);

module.exports = {
  ...defaultConfig,
  entry: { admin: path.resolve(__dirname, 'src/index.js') },
  output: { ...defaultConfig.output, path: path.resolve(__dirname, '../wp-plugin/build') },
  // Source maps of a 3 MB bundle cost more build time than they save here.
  devtool: false,
  optimization: {
    ...defaultConfig.optimization,
    // esbuild minifies the bundle in a fraction of terser's time, to a size within a few per cent.
    minimizer: [
      new TerserPlugin({ minify: TerserPlugin.esbuildMinify, terserOptions: { target: 'es2019' } }),
    ],
  },
  plugins: [
    new webpack.DefinePlugin({ FCWH_CONTRACTS: contracts }),
    ...defaultConfig.plugins.filter(
      (plugin) => plugin.constructor.name !== 'DependencyExtractionWebpackPlugin',
    ),
    new DependencyExtractionWebpackPlugin({
      useDefaults: false,
      requestToExternal: (request) => (request === '@wordpress/i18n' ? ['wp', 'i18n'] : undefined),
      requestToHandle: (request) => (request === '@wordpress/i18n' ? 'wp-i18n' : undefined),
    }),
  ],
};
