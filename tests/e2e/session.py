"""Signing in a browser page for the journeys."""

FACTORY_PASSWORD = "pw-test-123"


def signed_in_page(browser, live_server, user, *, viewport=None):
    """A new browser context signed in as ``user`` (the factories' password), collecting console
    errors and uncaught page errors in ``page.console_errors``; ``viewport`` default 1366 × 900."""
    context = browser.new_context(locale="zh-CN", viewport=viewport or {"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.console_errors = errors
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", FACTORY_PASSWORD)
    page.click("form[action='/login/'] button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return page
