add_library(nestvirt_warnings INTERFACE)
target_compile_options(nestvirt_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wnon-virtual-dtor
  -Wold-style-cast -Wnull-dereference -Wswitch-enum -Werror)
if(NESTVIRT_SANITIZE)
  target_compile_options(nestvirt_warnings INTERFACE
    -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(nestvirt_warnings INTERFACE -fsanitize=address,undefined)
endif()
