"""The domain's own types, shared by every layer and depending on none of them.

- `numbers`         NumberType, NumberStatus and the commands the front-ends translate into
                    (PurchaseRequest, NumberChanges, NumberFilters)
- `accounts`        AccountStatus, AccountRole
- `route_families`  the one definition of a number's voice/sms/ussd/refer settings
- `fields`          every input as each front-end spells it (REST parameter, GraphQL path, CLI option)
- `errors`          ErrorCode (the Restcomm codes) and the ServiceErrors the use cases raise
- `ids`             sids: a two-letter prefix and 32 hex digits
"""
