"""Descriptions of the GraphQL schema, worded after the Restcomm IncomingPhoneNumbers page.

The page describes each property once per REST name
(`VoiceUrl`, `SmsFallbackMethod`, …); GraphQL nests them per family (`voice.url`), so
the wording is kept here keyed the same way and looked up by the generated route
types and inputs. Dates are ISO 8601 here, where the REST API writes RFC 2822.
"""

from __future__ import annotations

# -- IncomingPhoneNumber -----------------------------------------------------------

NUMBER = (
    "An IncomingPhoneNumber instance resource represents a Restcomm phone number."
)
NUMBER_FIELDS = {
    "id": "The number's SID; IDs are SIDs, globally unique by their two-letter prefix.",
    "sid": "A 34 character string that uniquely identifies this resource.",
    "account": "The Account responsible for this phone number.",
    "phone_number": "The incoming phone number. e.g., +16175551212 (E.164 format)",
    "friendly_name": (
        "A human readable descriptive text for this resource, up to 64 characters long. "
        "By default, the FriendlyName is a nicely formatted version of the phone number."
    ),
    "type": "Local, toll-free or mobile: the subresource the number was bought from, or its classification.",
    "is_sip": (
        "True for a virtual SIP number: a name on this platform, not attached to a DID "
        "provider (bought with isSip)."
    ),
    "beta": "Whether the number is new to the Restcomm platform.",
    "api_version": "Calls to this phone number will start a new RCML session with this API version.",
    "capabilities": (
        "This is a set of boolean properties that indicate whether a phone number can receive "
        "calls or messages. Possible capabilities are Voice, SMS, MMS and Fax with each having "
        "a value of either true or false."
    ),
    "voice": "How calls to this number are handled.",
    "sms": "How SMS messages sent to this number are handled.",
    "ussd": "How USSD requests to this number are handled.",
    "refer": "How SIP Refer requests to this number are handled (no fallback URL).",
    "date_created": "The date that this resource was created, given in ISO 8601 format (UTC).",
    "date_updated": "The date that this resource was last updated, given in ISO 8601 format (UTC).",
    "uri": "The URI for this resource, relative to https://api.Restcomm.com.",
}

CAPABILITIES = "What a number can receive; unset capabilities are false."
CAPABILITY_FIELDS = {
    "voice": "Whether the number can receive calls.",
    "sms": "Whether the number can receive SMS messages.",
    "mms": "Whether the number can receive MMS messages.",
    "fax": "Whether the number can receive faxes.",
}

PHONE_NUMBER_TYPE = (
    "The kind of a phone number, as the Local, TollFree and Mobile subresources: LOCAL (not "
    "toll-free, not mobile), TOLL_FREE, MOBILE (i.e. not toll free numbers or local numbers)."
)

HTTP_METHOD = "The HTTP method Restcomm uses to request a URL."

# -- Routes (generated per family from services.route_families) ---------------------

VOICE_ROUTE = "How Restcomm handles calls to a number."
MESSAGING_ROUTE = (
    "How Restcomm handles SMS messages, USSD requests or SIP Refer requests to a number "
    "(Refer has no fallback: its fallbackUrl and fallbackMethod are null)."
)
APPLICATION_FIELD = "The application named by applicationSid, if any."

#: (family, setting) -> wording; families "voice" and "messaging" (sms, ussd, refer)
ROUTE_FIELDS: dict[tuple[str, str], str] = {
    ("voice", "url"): "The URL Restcomm will request when this phone number receives a call.",
    ("voice", "method"): "The HTTP method Restcomm will use when requesting the above url. Either GET or POST.",
    ("voice", "fallback_url"): (
        "The URL that Restcomm will request if an error occurs retrieving or executing the "
        "RCML requested by url."
    ),
    ("voice", "fallback_method"): (
        "The HTTP method Restcomm will use when requesting the fallbackUrl. Either GET or POST."
    ),
    ("voice", "status_callback"): (
        "The URL that Restcomm will request to pass status parameters (such as call ended) to "
        "your application."
    ),
    ("voice", "status_callback_method"): (
        "The HTTP method Restcomm will use to make requests to the statusCallback URL. "
        "Either GET or POST."
    ),
    ("voice", "caller_id_lookup"): (
        "Look up the caller’s caller-ID name from the CNAM database ($0.01 per look up). "
        "Either true or false."
    ),
    ("voice", "application_sid"): (
        "The 34 character sid of the application Restcomm should use to handle phone calls to "
        "this number. If an application is present, Restcomm will ignore all of the voice urls "
        "above and use those set on the application."
    ),
    ("messaging", "url"): (
        "The URL Restcomm will request when receiving an incoming SMS message, USSD request or "
        "SIP Refer request to this number."
    ),
    ("messaging", "method"): (
        "The HTTP method Restcomm will use when making requests to the url. Either GET or POST."
    ),
    ("messaging", "fallback_url"): (
        "The URL that Restcomm will request if an error occurs retrieving or executing the RCML "
        "from url (null for Refer)."
    ),
    ("messaging", "fallback_method"): (
        "The HTTP method Restcomm will use when requesting the above URL. Either GET or POST "
        "(null for Refer)."
    ),
    ("messaging", "application_sid"): (
        "The 34 character sid of the application Restcomm should use to handle these requests "
        "to this number. If an application is present, Restcomm will ignore all of the urls "
        "above and use those set on the application."
    ),
}

# -- Inputs ------------------------------------------------------------------------

VOICE_ROUTE_INPUT = (
    "Voice settings of a number. On purchase an absent or null field takes its default "
    "(methods POST, callerIdLookup false). On update only the fields given change; an "
    "explicit null clears a URL or applicationSid and restores a method to POST."
)
MESSAGING_ROUTE_INPUT = (
    "SMS or USSD settings of a number. On purchase an absent or null field takes its default "
    "(methods POST). On update only the fields given change; an explicit null clears a URL or "
    "applicationSid and restores a method to POST."
)
REFER_ROUTE_INPUT = (
    "SIP Refer settings of a number (Refer has no fallback). On purchase an absent or null field "
    "takes its default (method POST). On update only the fields given change; an explicit null "
    "clears the URL or applicationSid and restores the method to POST."
)
ROUTE_INPUT_FIELDS: dict[tuple[str, str], str] = {
    ("voice", "url"): "The URL that Restcomm should request when somebody dials the phone number.",
    ("voice", "method"): "The HTTP method that should be used to request the url. Either GET or POST. Defaults to POST.",
    ("voice", "fallback_url"): (
        "A URL that Restcomm will request if an error occurs requesting or executing the RCML "
        "defined by url."
    ),
    ("voice", "fallback_method"): (
        "The HTTP method that should be used to request the fallbackUrl. Either GET or POST. "
        "Defaults to POST."
    ),
    ("voice", "status_callback"): (
        "The URL that Restcomm will request to pass status parameters (such as call ended) to "
        "your application."
    ),
    ("voice", "status_callback_method"): (
        "The HTTP method Restcomm will use to make requests to the statusCallback URL. Either "
        "GET or POST. Defaults to POST."
    ),
    ("voice", "caller_id_lookup"): (
        "Do a lookup of a caller’s name from the CNAM database and post it to your app. Either "
        "true or false. Defaults to false."
    ),
    ("voice", "application_sid"): (
        "The 34 character sid of the application Restcomm should use to handle phone calls to "
        "this number. If an application is present, Restcomm will ignore all of the voice urls "
        "above and use those set on the application instead."
    ),
    ("messaging", "url"): (
        "The URL that Restcomm should request when somebody sends an SMS message, a USSD request "
        "or a SIP Refer request to the phone number."
    ),
    ("messaging", "method"): (
        "The HTTP method that should be used to request the url. Either GET or POST. Defaults to POST."
    ),
    ("messaging", "fallback_url"): (
        "A URL that Restcomm will request if an error occurs requesting or executing the RCML "
        "defined by url."
    ),
    ("messaging", "fallback_method"): (
        "The HTTP method that should be used to request the fallbackUrl. Either GET or POST. "
        "Defaults to POST."
    ),
    ("messaging", "application_sid"): (
        "The 34 character sid of the application Restcomm should use to handle these requests. "
        "If an application is present, Restcomm will ignore all of the urls above and use those "
        "set on the application instead."
    ),
}
CAPABILITIES_INPUT = (
    "Capabilities to set. On purchase what is given wins over what the carrier reports; "
    "on update only the capabilities given change."
)

# -- Account, Application ----------------------------------------------------------

ACCOUNT = (
    "An account: it owns phone numbers and may have subaccounts. A root account and all its "
    "descendants form one organization; an account may act on itself and its descendants."
)
ACCOUNT_FIELDS = {
    "sid": "A 34 character string that uniquely identifies this account.",
    "friendly_name": "A human readable description of this account, up to 64 characters long.",
    "email": "The e-mail address the account signs in with (HTTP Basic username, with its sid).",
    "status": "Whether the account is active, suspended or closed.",
    "role": "The account's role: Administrators may create subaccounts.",
    "parent": "The parent account; null for a root account or when the viewer may not see it.",
    "incoming_phone_numbers": (
        "The account's phone numbers, ordered by phone number, a page at a time (forward with "
        "first/after, backward with last/before); the same list, filters and cursors as the root "
        "incomingPhoneNumbers(accountSid:)."
    ),
    "subaccounts": (
        "The account's direct subaccounts, oldest first (date created, then sid), a page at a time "
        "(forward with first/after, backward with last/before). Their own subaccounts hang off each of them."
    ),
    "applications": (
        "The account's own applications, oldest first (date created, then sid), a page at a time "
        "(forward with first/after, backward with last/before). Its numbers may also use its ancestors' applications."
    ),
    "date_created": "The date that this account was created, given in ISO 8601 format (UTC).",
    "date_updated": "The date that this account was last updated, given in ISO 8601 format (UTC).",
}
APPLICATION = (
    "An application a number can hand its calls or messages to. It belongs to an account and "
    "serves that account's numbers and its descendants'."
)
APPLICATION_FIELDS = {
    "sid": "The 34 character sid of the application.",
    "friendly_name": "The application name.",
    "account": "The account the application belongs to; null when the viewer may not see it (a subaccount "
               "using its parent's application).",
    "date_created": "The date that this application was created, given in ISO 8601 format (UTC).",
    "date_updated": "The date that this application was last updated, given in ISO 8601 format (UTC).",
    "incoming_phone_numbers": (
        "The numbers that route calls or messages to this application (voice, sms, ussd or refer), "
        "ordered by phone number, a page at a time; only the viewer's and its subaccounts' numbers."
    ),
}

# -- Queries -----------------------------------------------------------------------

LIST_FILTERS = {
    "account_sid": "The account whose numbers to list: the viewer (default) or one of its subaccounts.",
    "type": "Only numbers of this type (the Local, TollFree and Mobile subresources).",
    "phone_number": (
        "Only show the incoming phone number resources that match this pattern. You can specify "
        "partial numbers and use '*' as a wildcard for any digit."
    ),
    "friendly_name": (
        "Only show the incoming phone number resources with friendly names that exactly match "
        "this name."
    ),
    "beta": (
        "Include phone numbers new to the Restcomm platform. Possible values are either true or "
        "false. Default is true."
    ),
}
#: a request's node limit (graphql.costs.MAX_NODES), as clients read it on every page argument
NODE_LIMIT = (
    "Nested connections multiply: a request may ask for at most 10,000 nodes in all, counting each "
    "connection's first or last times those of the connections it is inside (a missing first or last "
    "counts as 100); a request that could return more is refused before it runs."
)
PAGE_ARGUMENTS = {
    "first": f"Return the first n items (after `after`); at most 100, default 50. {NODE_LIMIT}",
    "after": "A cursor from this connection: continue after that item.",
    "last": f"Return the last n items (before `before`); at most 100. {NODE_LIMIT}",
    "before": "A cursor from this connection: continue backwards before that item.",
}

# -- Mutations ---------------------------------------------------------------------

PURCHASE = (
    "Purchases a new phone number for your account. If a phone number is found for your "
    "request, Restcomm will add it to your account and bill you for the first month’s cost of "
    "the phone number. If Restcomm cannot find a phone number to match your request, the payload "
    "carries a userError with the Restcomm error code (21452)."
)
PURCHASE_FIELDS = {
    "phone_number": (
        "The phone number you want to purchase. The number should be formatted starting with a "
        "'+' followed by the country code and the number in E.164 format e.g., '+15105555555'. "
        "You must include either this or an areaCode. With isSip, any name without spaces."
    ),
    "area_code": (
        "The desired area code for your new incoming phone number. Any three digit, US or Canada "
        "area code is valid. Restcomm will provision a random phone number within this area code "
        "for you. If you include both parameters, we will use the areaCode and ignore the "
        "phoneNumber provided. Not accepted together with type (as the typed subresources)."
    ),
    "type": (
        "Buy a number of this type only (the Local, TollFree and Mobile subresources): "
        "phoneNumber is then required and must be of that type."
    ),
    "is_sip": (
        "Register a virtual SIP number, not attached to a DID provider: stored as sent, unique "
        "in the organization."
    ),
    "friendly_name": (
        "A human readable description of the new incoming phone number. Maximum 64 characters. "
        "Defaults to a formatted version of the number."
    ),
    "api_version": (
        "The Restcomm REST API version to use for incoming calls made to this number. If "
        "omitted, uses 2012-04-24."
    ),
    "capabilities": "Capabilities to set; what is given wins over what the carrier reports.",
    "idempotency_key": (
        "Makes retries safe: a retry with the same key (per account) returns the first "
        "request's outcome instead of buying a second number. Reusing a key with other "
        "parameters is an error."
    ),
    "account_sid": "The account to buy for: the viewer (default) or one of its subaccounts.",
}
UPDATE = (
    "Tries to update the incoming phone number’s properties. Only the fields given change; "
    "an explicit null clears a URL or application."
)
UPDATE_FIELDS = {
    "sid": "The sid of the phone number to update.",
    "friendly_name": (
        "A human readable description of the incoming phone number resource, with maximum length "
        "64 characters."
    ),
    "api_version": (
        "Calls to this phone number will start a new RCML session with this API version - 2012-04-24"
    ),
    "capabilities": "Capabilities to change; only those given change.",
}
RELEASE = (
    "Release this phone number from your account. Restcomm will no longer answer calls to this "
    "number, and you will stop being billed the monthly phone number fee. The phone number will "
    "eventually be recycled and potentially given to another customer, so use with care. If the "
    "carrier cannot confirm the release, the number is kept and a userError says to retry."
)
TRANSFER = (
    "Move a phone number between two accounts of the same organization (subaccounts): the "
    "viewer must be allowed to act on both, and the target must be active."
)
TRANSFER_FIELDS = {
    "sid": "The sid of the phone number to transfer.",
    "to_account_sid": "The unique 34 character id of the account to which you wish to transfer this phone number.",
}
CREATE_SUBACCOUNT = (
    "Create a subaccount of the viewer (Administrators only). Its auth token is returned once, "
    "in the payload; only a hash of it is stored."
)
CREATE_SUBACCOUNT_FIELDS = {
    "friendly_name": "A human readable description of the account; defaults to its e-mail.",
    "email": "The e-mail address the new account signs in with.",
    "password": (
        "Optional password (at least 8 characters): the auth token is then its lowercase hex MD5, "
        "as Restcomm does. Without it a random token is made."
    ),
    "role": "The new account's role; Developer by default.",
}
UPDATE_ACCOUNT = (
    "Change an account: its name (the account or an ancestor), its status (an Administrator "
    "ancestor only; nobody changes its own). A suspended or closed account stops its whole "
    "subtree at once; closed is final, and closing releases every number of the account and its "
    "descendants at the carrier: what could not be released yet is listed in the payload and "
    "finished by the reconciler."
)
UPDATE_ACCOUNT_FIELDS = {
    "sid": "The sid of the account to change.",
    "friendly_name": "A new human readable description, up to 64 characters long.",
    "status": "The new status: ACTIVE, SUSPENDED or CLOSED (final).",
}
ROTATE_AUTH_TOKEN = (
    "Give an account a fresh random auth token (the account itself or an Administrator "
    "ancestor): returned once in the payload; the old token stops working at once."
)
CREATE_API_KEY = (
    "Create an API key for an account (the account itself or an Administrator ancestor): HTTP "
    "Basic with the key's sid and secret acts as that account, except on credentials and "
    "statuses. The secret is returned once; only a hash of it is stored."
)
REVOKE_API_KEY = "Revoke an API key: it stops working at once."
API_KEY = "A revocable credential of an account: its sid is the HTTP Basic username, with the secret shown at creation."
API_KEY_FIELDS = {
    "sid": "The 34 character sid of the key (SK…), the HTTP Basic username.",
    "friendly_name": "A human readable description of the key.",
    "date_created": "When the key was created (ISO 8601, UTC).",
}
ACCOUNT_API_KEYS = (
    "The account's API keys (never their secrets); null unless the viewer may manage them: the "
    "account itself or an Administrator ancestor, signed in with a token rather than a key."
)
CREATE_APPLICATION = (
    "Create an application for an account (the viewer or one of its subaccounts, active): its "
    "numbers and its descendants' may then name it as their voice, sms, ussd or refer applicationSid."
)
UPDATE_APPLICATION = "Change an application: only what is given changes."
DELETE_APPLICATION = (
    "Delete an application. Every number that used it, in any family (voice, sms, ussd, refer) and "
    "any account, stops using it in the same transaction and routes by its URLs again, as Twilio does."
)
APPLICATION_INPUT_FIELDS = {
    "sid": "The sid of the application (AP…).",
    "account_sid": "The account the application belongs to: the viewer (default) or one of its subaccounts.",
    "friendly_name": "A human readable name for the application, up to 64 characters long.",
}
USER_ERROR = (
    "An expected failure of a mutation: invalid input, a number that is not available, an "
    "action not allowed on that number."
)
USER_ERROR_FIELDS = {
    "field": "The path of the input field at fault, e.g. [\"input\", \"voice\", \"url\"]; null when no single field is.",
    "message": "What went wrong, naming the field as GraphQL spells it.",
    "code": "The kind of error.",
    "restcomm_code": "The Restcomm/Twilio error code REST answers for the same failure, e.g. 21452.",
}
CREATE_ACCESS_TOKEN = (
    "Create an access token for a single-page app: sign in with HTTP Basic (e-mail and "
    "password, or the account sid and auth token), then send `Authorization: Bearer "
    "<accessToken>` with every request. It acts as the signed-in account until it expires "
    "(ttlSeconds, default 3600, at most 86400), is revoked, the account's credentials change, "
    "or the account or an ancestor is suspended or closed. An access token cannot create "
    "another. The token is returned once; only a hash of it is stored."
)
REVOKE_ACCESS_TOKEN = (
    "Revoke an access token (sign out): it stops working at once. Without sid, the token "
    "this request signs in with."
)
