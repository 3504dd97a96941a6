"""Getting a built site to its readers, and knowing when they have it: ``verify`` polls a
host's ``live.json`` until it names the build; ``publish`` uploads a built site to any
storage host through rclone, in an order that never lets a page link a missing file."""
