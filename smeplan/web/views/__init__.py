"""Pages of smeplan. Views read only through the apps' selectors (all scoped) and write only
through the apps' services."""
