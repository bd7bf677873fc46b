"""Logging filters of the project (named in ``settings.LOGGING``)."""

import logging


class ClientErrorOnOneLine(logging.Filter):
    """``django.request`` logs an ordinary refusal (PermissionDenied → 403, a bad request → 400) with
    the exception's full traceback. A refusal is not a fault: log it as one line — status, user, path
    and the reason given — and leave 5xx records (real faults) with their traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is None or not 400 <= status < 500 or not isinstance(record.exc_info, tuple):
            return True
        exc = record.exc_info[1]
        request = getattr(record, "request", None)
        user = getattr(request, "user", None)
        who = user.get_username() if user is not None and user.is_authenticated else "anonymous"
        record.msg = "%s %s: user=%s path=%s reason=%s"
        record.args = (
            status,
            type(exc).__name__,
            who,
            getattr(request, "path", ""),
            " ".join(str(exc).split()) or "-",
        )
        record.exc_info = record.exc_text = record.stack_info = None
        return True
