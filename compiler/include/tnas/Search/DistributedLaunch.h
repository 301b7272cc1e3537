//===- DistributedLaunch.h - was this process started by mpirun? -*- C++
//-*-===//
//
// What a program can tell about an MPI launch from its environment alone,
// before (and without) initializing MPI or even linking libmpi: the plain
// `tnasc` uses it to hand an MPI launch over to `tnasc-mpi`.
//
//===----------------------------------------------------------------------===//
#ifndef TNAS_SEARCH_DISTRIBUTEDLAUNCH_H
#define TNAS_SEARCH_DISTRIBUTEDLAUNCH_H

#include <cstdlib>

namespace tnas::search {

/// True when an MPI launcher started this process: Open MPI's mpirun
/// (OMPI_COMM_WORLD_SIZE), MPICH/Intel hydra (PMI_SIZE), PMIx launchers such
/// as `srun --mpi=pmix` or prterun (PMIX_RANK).
inline bool launchedByMPI() {
  for (const char *var : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK"})
    if (std::getenv(var))
      return true;
  return false;
}

/// The number of ranks the launcher started, as far as the environment
/// says (Open MPI, hydra, Slurm); 0 when it does not say.
inline int launchedWorldSize() {
  for (const char *var : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "SLURM_NTASKS"})
    if (const char *value = std::getenv(var))
      return std::atoi(value);
  return 0;
}

/// This process's rank as the launcher's environment says; 0 when unknown.
inline int launchedWorldRank() {
  for (const char *var :
       {"OMPI_COMM_WORLD_RANK", "PMI_RANK", "PMIX_RANK", "SLURM_PROCID"})
    if (const char *value = std::getenv(var))
      return std::atoi(value);
  return 0;
}

} // namespace tnas::search

#endif // TNAS_SEARCH_DISTRIBUTEDLAUNCH_H
