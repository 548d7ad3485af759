//! Integration tests: one binary, one module per topic.

mod mcp;
mod mcp_http;
