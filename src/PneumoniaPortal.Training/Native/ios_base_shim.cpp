// Defines the one GCC 13 libstdc++ symbol that libLibTorchSharp.so 0.107 references, for older hosts (Debian 12).
#include <ios>
namespace std { void ios_base_library_init() { static ios_base::Init init; } }
