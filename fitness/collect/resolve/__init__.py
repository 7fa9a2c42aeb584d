"""The one place where facts become edges: settings substituted into addresses, addresses and names
matched to components, routes and gRPC contracts joined, every edge with its whole evidence chain."""
