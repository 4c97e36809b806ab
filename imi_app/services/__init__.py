"""Every rule and change of data, one transaction per action, no Reflex imports."""
