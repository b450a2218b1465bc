#include "support/pg_server.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <system_error>

#include "storage/pg/connection.h"

namespace jobtrawl::testing {
namespace {

const char* const kScript = JOBTRAWL_SOURCE_DIR "/scripts/pg-test-server";

std::string Quoted(const std::string& s) {
  std::string q = "'";
  for (char c : s) {
    if (c == '\'') q += "'\\''";
    else q += c;
  }
  return q + "'";
}

std::string ReadFile(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  std::string text = s.str();
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

// Runs `pg-test-server COMMAND DIR/pg` (for "start", with this process as
// the owner whose end stops the server, however it ends); stdout and stderr
// go to files in DIR. Returns the exit status, or -1 when it did not exit
// normally.
int RunScript(const std::filesystem::path& dir, const char* command) {
  const std::string owner = std::string_view(command) == "start" ? " " + std::to_string(::getpid()) : "";
  const std::string line = "bash " + Quoted(kScript) + " " + command + " " + Quoted((dir / "pg").string()) + owner +
                           " >" + Quoted((dir / (std::string(command) + ".out")).string()) + " 2>" +
                           Quoted((dir / (std::string(command) + ".err")).string()) + " </dev/null";
  const int status = std::system(line.c_str());
  return status != -1 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::unique_ptr<PgServer>& Shared() {
  static std::unique_ptr<PgServer> server;
  return server;
}

class PgEnvironment : public ::testing::Environment {
 public:
  void TearDown() override { Shared().reset(); }
};

[[maybe_unused]] ::testing::Environment* const kEnvironment =
    ::testing::AddGlobalTestEnvironment(new PgEnvironment);

}  // namespace

bool PgRequired() {
  const char* v = std::getenv("JOBTRAWL_REQUIRE_PG");
  return v && std::string_view(v) == "1";
}

PgServer::PgServer() {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/jobtrawl-pg-XXXXXX";
  if (!::mkdtemp(pattern.data())) {
    why_ = "cannot create a directory from " + pattern;
    return;
  }
  dir_ = pattern;
  // The server's user (nobody, when we are root) must reach DIR/pg.
  std::filesystem::permissions(dir_, std::filesystem::perms::owner_all | std::filesystem::perms::group_exec |
                                         std::filesystem::perms::others_exec);
  const int status = RunScript(dir_, "start");
  if (status != 0) {
    unavailable_ = status == 77;
    why_ = ReadFile(dir_ / "start.err");
    if (why_.empty()) why_ = "scripts/pg-test-server start exited with status " + std::to_string(status);
    // It may have left a half-started server behind.
    RunScript(dir_, "stop");
    return;
  }
  running_ = true;
  port_ = std::atoi(ReadFile(dir_ / "pg" / "port").c_str());
  password_ = ReadFile(dir_ / "pg" / "password");
  url_ = ReadFile(dir_ / "start.out");
}

PgServer::~PgServer() {
  if (dir_.empty()) return;
  Kill();
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

std::string PgServer::Url(std::string_view database) const {
  return "postgresql://postgres:" + password_ + "@127.0.0.1:" + std::to_string(port_) + "/" +
         std::string(database);
}

std::string PgServer::CreateDatabase() {
  auto admin = storage::pg::Connection::Open(Url());
  if (!admin) {
    ADD_FAILURE() << admin.error().message;
    return "";
  }
  const std::string name = "test_" + std::to_string(++databases_);
  if (auto r = admin->Exec("CREATE DATABASE " + name); !r) {
    ADD_FAILURE() << r.error().message;
    return "";
  }
  return Url(name);
}

void PgServer::Kill() {
  if (!running_) return;
  running_ = false;
  RunScript(dir_, "stop");
}

bool PgServer::Start() {
  if (running_ || dir_.empty()) return running_;
  const int status = RunScript(dir_, "start");
  if (status != 0) {
    why_ = ReadFile(dir_ / "start.err");
    return false;
  }
  running_ = true;
  if (std::atoi(ReadFile(dir_ / "pg" / "port").c_str()) != port_) {
    why_ = "the server came back on another port";
    return false;
  }
  return true;
}

PgServer& SharedPgServer() {
  if (!Shared()) Shared() = std::make_unique<PgServer>();
  return *Shared();
}

void PgTest::SetUp() {
  PgServer& server = SharedPgServer();
  JOBTRAWL_REQUIRE_SERVER(server);
  url_ = server.CreateDatabase();
  ASSERT_FALSE(url_.empty());
}

}  // namespace jobtrawl::testing
