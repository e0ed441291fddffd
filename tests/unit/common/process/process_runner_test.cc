#include "common/process/process_runner.h"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/fake_process_runner.h"
#include "tests/support/temp_dir.h"

namespace vantus {
namespace {

using std::chrono::milliseconds;

ProcessOutput runOk(const ProcessSpec& spec) {
  auto runner = makeSystemProcessRunner();
  auto output = runner->run(spec);
  REQUIRE_MESSAGE(output.has_value(), (output ? "" : output.error().describe()));
  return *output;
}

TEST_CASE("runs a program with argv passed verbatim, no shell") {
  ProcessOutput output = runOk({.argv = {"/bin/echo", "a  b", "$HOME", "*", ";", "x"}});
  CHECK(output.exit_code == 0);
  CHECK(output.stdout_text == "a  b $HOME * ; x\n");
  CHECK(output.stderr_text.empty());
  CHECK_FALSE(output.timed_out);
  CHECK_FALSE(output.truncated);
}

TEST_CASE("a program name without a slash is searched in PATH") {
  ProcessOutput output = runOk({.argv = {"echo", "found"}});
  CHECK(output.stdout_text == "found\n");
}

TEST_CASE("stdout, stderr and the exit code are kept apart") {
  ProcessOutput output = runOk({.argv = {"/bin/sh", "-c", "echo out; echo err >&2; exit 3"}});
  CHECK(output.exit_code == 3);
  CHECK(output.stdout_text == "out\n");
  CHECK(output.stderr_text == "err\n");
}

TEST_CASE("a child killed by a signal reports 128 + the signal") {
  ProcessOutput output = runOk({.argv = {"/bin/sh", "-c", "kill -TERM $$"}});
  CHECK(output.exit_code == 128 + 15);
  CHECK_FALSE(output.timed_out);
}

TEST_CASE("stdin is fed to the child and then closed") {
  std::string input;
  for (int i = 0; i < 20000; ++i) {
    input += "line " + std::to_string(i) + "\n";
  }
  ProcessOutput output = runOk({.argv = {"/bin/sh", "-c", "wc -l"}, .stdin_data = input});
  CHECK(output.exit_code == 0);
  CHECK(output.stdout_text.find("20000") != std::string::npos);
}

TEST_CASE("without stdin data the child reads end of file at once") {
  ProcessOutput output = runOk({.argv = {"/bin/cat"}, .timeout = milliseconds(20000)});
  CHECK(output.exit_code == 0);
  CHECK_FALSE(output.timed_out);
  CHECK(output.stdout_text.empty());
}

TEST_CASE("a child that ignores its stdin does not hurt the caller") {
  std::string input(4 << 20, 'x');
  ProcessOutput output = runOk({.argv = {"/bin/sh", "-c", "exit 0"}, .stdin_data = input});
  CHECK(output.exit_code == 0);
}

TEST_CASE("big output is truncated at the cap, marked, and the child still finishes") {
  ProcessOutput output = runOk({.argv = {"/bin/sh", "-c",
                                         "head -c 3000000 /dev/zero | tr '\\0' a; "
                                         "head -c 500 /dev/zero | tr '\\0' b >&2; exit 4"},
                                .max_output_bytes = 1000});
  CHECK(output.exit_code == 4);
  CHECK_FALSE(output.timed_out);
  CHECK(output.truncated);
  CHECK(output.stdout_text.starts_with(std::string(1000, 'a')));
  CHECK(output.stdout_text.find("truncated: 2999000 more bytes") != std::string::npos);
  CHECK(output.stderr_text == std::string(500, 'b'));
}

TEST_CASE("a timeout kills the whole process group and reports timed_out") {
  vantus::testing::TempDir dir;
  std::string marker = dir / "survived";
  // The grandchild would create the marker after the timeout if it outlived the kill.
  ProcessOutput output =
      runOk({.argv = {"/bin/sh", "-c", "(sleep 2; touch " + marker + ") & echo started; sleep 30"},
             .timeout = milliseconds(300)});
  CHECK(output.timed_out);
  CHECK(output.exit_code == -1);
  CHECK(output.stdout_text == "started\n");
  std::this_thread::sleep_for(std::chrono::seconds(3));
  CHECK_FALSE(std::filesystem::exists(marker));
}

TEST_CASE("a child that closes its output but keeps running still times out") {
  ProcessOutput output =
      runOk({.argv = {"/bin/sh", "-c", "exec >&- 2>&-; sleep 30"}, .timeout = milliseconds(300)});
  CHECK(output.timed_out);
  CHECK(output.exit_code == -1);
}

TEST_CASE("a missing program is kNotFound naming it") {
  auto runner = makeSystemProcessRunner();
  auto output = runner->run({.argv = {"/nonexistent/vantus-no-such-binary", "-t"}});
  REQUIRE_FALSE(output.has_value());
  CHECK(output.error().code == ErrorCode::kNotFound);
  CHECK(output.error().message.find("/nonexistent/vantus-no-such-binary") != std::string::npos);

  auto searched = runner->run({.argv = {"vantus-no-such-binary"}});
  REQUIRE_FALSE(searched.has_value());
  CHECK(searched.error().code == ErrorCode::kNotFound);
}

TEST_CASE("an empty argv is refused") {
  auto output = makeSystemProcessRunner()->run({});
  REQUIRE_FALSE(output.has_value());
  CHECK(output.error().code == ErrorCode::kInvalidInput);
}

TEST_CASE("the child inherits no descriptor beyond stdin, stdout and stderr") {
  vantus::testing::TempDir dir;
  // Opened without O_CLOEXEC on purpose, like a careless library would.
  int leaked = ::open((dir / "leak").c_str(), O_CREAT | O_WRONLY, 0600);
  REQUIRE(leaked >= 0);
  ProcessOutput output = runOk(
      {.argv = {"/bin/sh", "-c", "readlink /proc/$$/fd/" + std::to_string(leaked) + " || true"}});
  ::close(leaked);
  CHECK(output.exit_code == 0);
  CHECK(output.stdout_text.find("leak") == std::string::npos);
}

TEST_CASE("the child runs in its own process group") {
  ProcessOutput output = runOk({.argv = {"/bin/sh", "-c", "ps -o pgid= -p $$; echo $$"}});
  if (output.exit_code != 0) {
    MESSAGE("skipped: ps is not available");
    return;
  }
  std::string text = output.stdout_text;
  auto first_end = text.find('\n');
  std::string pgid = text.substr(0, first_end);
  pgid.erase(0, pgid.find_first_not_of(' '));
  std::string pid = text.substr(first_end + 1);
  pid.pop_back();
  CHECK(pgid == pid);
}

TEST_CASE("many threads can run processes at once") {
  auto runner = makeSystemProcessRunner();
  std::vector<std::thread> threads;
  std::vector<std::string> outputs(8);
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      auto output = runner->run({.argv = {"/bin/echo", std::to_string(i)}});
      outputs[i] = output ? output->stdout_text : output.error().message;
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  for (int i = 0; i < 8; ++i) {
    CHECK(outputs[i] == std::to_string(i) + "\n");
  }
}

TEST_CASE("the fake answers by command prefix and records calls") {
  vantus::testing::FakeProcessRunner fake;
  fake.onCommand("nginx -t", {.exit_code = 1, .stderr_text = "unexpected \"}\""});
  fake.onCommand("nginx -s", ProcessOutput{.exit_code = 0});

  auto tested = fake.run({.argv = {"/usr/sbin/nginx", "-t", "-q"}});
  REQUIRE(tested);
  CHECK(tested->exit_code == 1);
  CHECK(tested->stderr_text == "unexpected \"}\"");
  auto other = fake.run({.argv = {"/bin/true"}});
  REQUIRE(other);
  CHECK(other->exit_code == 0);

  CHECK(fake.ran("nginx -t -q"));
  CHECK(fake.ran("/bin/true"));
  CHECK_FALSE(fake.ran("reload"));
  CHECK(fake.calls().size() == 2);
}

TEST_CASE("the fake can inject errors through a handler") {
  vantus::testing::FakeProcessRunner fake;
  fake.onCommand("nginx", [](const ProcessSpec&) -> Result<ProcessOutput> {
    return fail(ErrorCode::kNotFound, "no nginx");
  });
  auto output = fake.run({.argv = {"nginx", "-v"}});
  REQUIRE_FALSE(output.has_value());
  CHECK(output.error().code == ErrorCode::kNotFound);
}

}  // namespace
}  // namespace vantus
