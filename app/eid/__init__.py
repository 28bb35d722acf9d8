"""eID: sign-in and identification with the German ID card's online function.

The portal is the service provider of BSI TR-03124-1 (the AusweisApp is the eID-Client)
and the eService of BSI TR-03130 (it asks an eID-Server for the card's data):

* ``tctoken``: the TCToken the AusweisApp fetches, and the rules it checks;
* ``messages``: the TR-03130 SOAP messages useID and getResult;
* ``adapters``: the eID-Servers we can talk to (a real one over mTLS, the simulator);
* ``sessions``: one eID attempt from the button to the RefreshAddress;
* ``binding``: which account a card (its pseudonym, the RestrictedID) belongs to.
"""
