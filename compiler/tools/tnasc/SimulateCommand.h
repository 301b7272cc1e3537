//===- SimulateCommand.h - `tnasc simulate` ---------------------*- C++ -*-===//
#ifndef TNASC_SIMULATECOMMAND_H
#define TNASC_SIMULATECOMMAND_H

#include <atomic>

namespace tnasc {

/// Whether the command line chose the `simulate` subcommand.
bool simulateCommandChosen();

/// Runs `tnasc simulate` with the parsed options; the exit status.
int runSimulateCommand(std::atomic<bool> &interrupted);

} // namespace tnasc

#endif // TNASC_SIMULATECOMMAND_H
