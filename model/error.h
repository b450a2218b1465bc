// A small error value for fallible calls at module boundaries
// (in the spirit of leveldb's Status: a named code and readable text).
#ifndef JOBTRAWL_MODEL_ERROR_H_
#define JOBTRAWL_MODEL_ERROR_H_

#include <string>
#include <string_view>

namespace jobtrawl {

struct Error {
  enum class Code {
    kInvalidArgument,  // the caller's input is wrong (usage, config, a bad URL)
    kNotFound,         // a file, source or row that should exist does not
    kIo,               // reading or writing a file failed
    kParse,            // input could not be read as the format it claims
    kStorage,          // the database refused an operation
    kInternal,         // a broken invariant; report it
  };
  Code code = Code::kInternal;
  std::string message;
  // Trying the same call again later may succeed: the database was busy or
  // locked by another process, the disk was full, or an I/O call failed.
  bool transient = false;

  static Error InvalidArgument(std::string m) { return {Code::kInvalidArgument, std::move(m)}; }
  static Error NotFound(std::string m) { return {Code::kNotFound, std::move(m)}; }
  static Error Io(std::string m) { return {Code::kIo, std::move(m)}; }
  static Error Parse(std::string m) { return {Code::kParse, std::move(m)}; }
  static Error Storage(std::string m) { return {Code::kStorage, std::move(m)}; }
  static Error Internal(std::string m) { return {Code::kInternal, std::move(m)}; }
};

}  // namespace jobtrawl

#endif  // JOBTRAWL_MODEL_ERROR_H_
