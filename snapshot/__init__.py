"""The bundled snapshot of an IRIB-News-like site (our own writing) and its local HTTP server."""
