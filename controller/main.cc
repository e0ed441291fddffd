#include <cstdio>
int main() {
  std::puts("vantus-controller: under construction");
  return 0;
}
