// Compiled with -fsyntax-only by CTest: the public header must work from C++.
#include "inspireface.h"

int main()
{
    HFInspireFaceVersion version = {};
    return HFQueryInspireFaceVersion(&version) == HSUCCEED ? 0 : 1;
}
