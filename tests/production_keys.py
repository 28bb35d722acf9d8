"""Keys a production configuration must be given (environment or secrets folder), for
tests that build one. Made for the tests only; no installation uses them."""

PRODUCTION_KEYS = {
    # A P-256 scalar (base64url), as VAPID key generators print it.
    "VAPID_PRIVATE_KEY": "ND1a91QGzsBGv1fWOLbrgYEEBRFUTRa_sKOxS8zQ1Jc",
    "PASS_KEY_ENCRYPTION_KEY": "e8E9YQCtHVuP4-B8IOKvZ9mQ0cMsOjJOesT_8nzQZAc",
}
