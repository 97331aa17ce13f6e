"""The site's pages: HTTP in, HTML (or a feed) out. Plain function views; what they show is
decided below them (access.py), and what they change goes through the write actions."""
