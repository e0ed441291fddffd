#pragma once
// The ctemplate headers the renderer uses. ctemplate 2.4's str_ref.h calls strlen without
// including <cstring>, and include sorting would otherwise put it first.
// clang-format off
#include <cstring>
#include <ctemplate/template_cache.h>
#include <ctemplate/template_dictionary.h>
#include <ctemplate/template_emitter.h>
#include <ctemplate/template_modifiers.h>
// clang-format on
