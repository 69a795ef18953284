// dt-sql-parser's dist is ES modules with directory and extensionless
// imports, which Node resolves only through a bundler. This hook maps them to
// index.js / .js, as bundlers do.
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (err) {
    if (err.code === 'ERR_UNSUPPORTED_DIR_IMPORT') {
      return next(specifier + '/index.js', context);
    }
    if (err.code === 'ERR_MODULE_NOT_FOUND' && specifier.startsWith('.')) {
      return next(specifier + '.js', context);
    }
    throw err;
  }
}
