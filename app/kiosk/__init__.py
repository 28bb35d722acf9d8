"""The Bürgerbüro terminal: registered devices that run the portal in kiosk mode."""
