"""E-mail importers: .eml, .mbox, Outlook .msg and winmail.dat, and what they share."""
