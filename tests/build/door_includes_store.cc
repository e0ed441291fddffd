// Compiled as a front door would be (VANTUS_FRONT_DOOR): including the store must not build.
#include "controller/store/store.h"

int frontDoorReachesTheStore() { return 0; }
