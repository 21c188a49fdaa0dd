/**
 * The admin screen's build: @wordpress/scripts' config, written to wp-plugin/build/ where the plugin (and its zip)
 * loads it from.
 *
 * Everything is bundled but @wordpress/i18n. WordPress 6.1 (Debian's, and the oldest the plugin supports) ships
 * React 17 and a wp-components that predates DataViews, so the site's copies cannot run this screen; wp-i18n is
 * the exception, kept external so that wp_set_script_translations() reaches the strings.
 */
const path = require('path');
const TerserPlugin = require('terser-webpack-plugin');
const DependencyExtractionWebpackPlugin = require('@wordpress/dependency-extraction-webpack-plugin');
const defaultConfig = require('@wordpress/scripts/config/webpack.config');

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
