"""BundID: sign-in with the federal citizen account as a SAML 2.0 service provider.

``profile`` holds what BundID's published SAML profile says (attribute names, levels of
assurance, the request extension); ``saml`` speaks SAML through pysaml2; ``attempts``
runs one sign-in from the button to the portal's session; ``binding`` decides which
account a BundID account belongs to; ``simulator`` is the test-mode identity provider.
See docs/bundid.md.
"""
