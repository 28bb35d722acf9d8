"""A built-in eID-Server and AusweisApp stand-in for development and tests.

``server.SimulatedEidServer`` answers the same TR-03130 useID/getResult SOAP messages as
a real eID-Server and plays the card-reading part the AusweisApp would do, for a few
test identities. Nothing here touches a real ID card; every screen says "Testmodus".
"""
