-- The shop's one database (shared by orders and inventory: the smell this example shows).
CREATE TABLE orders (id SERIAL PRIMARY KEY, customer_id INT NOT NULL, status TEXT NOT NULL);
CREATE TABLE stock_items (sku TEXT PRIMARY KEY, quantity INT NOT NULL);
CREATE TABLE stock_reservations (order_id INT NOT NULL, sku TEXT NOT NULL, quantity INT NOT NULL);
