"""Orders: takes orders, reserves stock, asks for payment."""
