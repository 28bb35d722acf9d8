"""Housing benefit (Wohngeld): the non-binding estimate by § 19 WoGG and its parameters."""
