# The root example: a partition that builds hello and counter as children
# at run time (docs/spec/management.md).  It carries their images.
include(${CMAKE_CURRENT_LIST_DIR}/../embed.cmake)
vnr_add_guest(root SOURCES root.c)
vnr_embed_guests(root hello hello counter counter)
