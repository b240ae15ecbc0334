"""Services: one module per desk activity; each validates, writes in one transaction with its audit
entry, and raises a Chinese error for the user."""
