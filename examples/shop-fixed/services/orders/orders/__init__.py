"""Orders: takes orders and asks for payment; tells the others through events."""
