"""The public storefront API: newsletter sign-up, preferences, consent, tracking, web push.

Every operation here is public (``permissions = ()``); a customer token, a signed contact
token from an email link, or an anonymous id tells who the visitor is. Answers never reveal
whether an email address is known to the shop.
"""
