"""Use cases (purchase, update, transfer, release, list, accounts); no HTTP or GraphQL here."""
