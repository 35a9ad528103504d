"""The core pipeline: ``read -> load -> check -> compile -> facts -> run -> explain -> assess``.

Imports only the models, the errors, the options and the wording; nothing here opens a database,
serves a page or parses a command line.
"""
