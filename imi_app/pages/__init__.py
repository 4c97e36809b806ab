"""The pages; each adds itself to the app in imi_app.imi_app."""
